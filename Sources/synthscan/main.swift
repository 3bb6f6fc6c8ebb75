import SynthScanCore; print("x")
