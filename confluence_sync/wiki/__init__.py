"""What a wiki page is made of, shared by every layer: plain values, the storage format,
managed regions and their canonical form."""
