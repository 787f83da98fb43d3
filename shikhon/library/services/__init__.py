"""The library's writes, one module per part (contents, files, reviews, feedback, models, packs, counters)."""
