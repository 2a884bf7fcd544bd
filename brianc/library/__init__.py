"""Brian 1's library of models: neurons, synapses and electrophysiology."""
