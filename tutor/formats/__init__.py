"""Files people write and read: text files, TOML with key lines, one key checker, specs, JSON."""
