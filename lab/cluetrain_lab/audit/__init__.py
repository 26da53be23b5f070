"""The audit set: 521 messages written by hand the way Lumen Home's customers write, labelled
for every reader, never trained or tuned on (README.md in this folder)."""
