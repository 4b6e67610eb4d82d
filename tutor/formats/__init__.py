"""Files people write and read: text files, TOML with key lines, key checking, network specs, JSON."""
