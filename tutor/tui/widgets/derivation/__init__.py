"""The derivation view: lines, computational graph and its layout."""
