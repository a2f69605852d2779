"""The intermediate representation: declarations, statements, expressions and the
facts detectors share (resolution, call graph, guards, data flow)."""
