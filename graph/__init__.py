"""casegraph: a sourced knowledge graph of protest-related prosecutions."""
