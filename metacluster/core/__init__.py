"""The algorithms of Metacluster as plain Python over plain data. Never imports Django."""
