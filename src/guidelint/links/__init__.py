"""Link checking: collect resource URLs from guides, check them, classify, report."""
