"""Value: the scalar node (a Python float), with its operators generated from the op table."""
