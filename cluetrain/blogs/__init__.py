"""Blogs: members, staff and partners writing in the open, with drafts, scheduled publishing,
comments and Atom feeds."""
