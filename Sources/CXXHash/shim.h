// Exposes Debian's libxxhash (package libxxhash-dev) to Swift. Nothing is vendored.
#include <xxhash.h>
