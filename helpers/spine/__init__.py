"""The spine: the `surgery` command and one run of a playbook, from checking its parameters to the bundle the charity keeps."""
