// Exposes the system zlib (package zlib1g-dev) to Swift, for gzip-compressed inputs.
#include <zlib.h>
