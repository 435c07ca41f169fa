"""Documents to passages: read files of each format, clean their text, infer metadata, split."""
