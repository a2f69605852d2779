"""Access-control detectors: who may call what (SWC-100/105/106/108/109/112/115/117/118/121/122/124)."""
