"""Words and numbers as the learner reads them: number formatting and derivation lines."""
