"""Brian 1's tools: analysis, input generation and running helpers."""
