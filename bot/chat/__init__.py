"""Reading what people type in chat: a model, its options, and rerun words in a thread."""
