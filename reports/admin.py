"""The office's admin of the year's outcome: the schemes, the manual deductions, the
closings and their frozen rows."""
