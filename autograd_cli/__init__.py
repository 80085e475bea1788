"""The `autograd-core` command-line tool: grad, train and demo subcommands."""
