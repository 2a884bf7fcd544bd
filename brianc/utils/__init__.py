"""Brian 1's utilities: progress reports and helper data structures."""
