"""Text → facet suggestions: the shared embedding service, the facet classifier and its tools.

Pure Python: nothing in this package imports Django, so it is fast to test and
reusable from the CLI, background tasks and benchmarks. The optional semantic
runtime (torch, sentence-transformers, the packaged MiniLM model) is loaded
lazily; without it everything still works on TF-IDF features alone.
"""
