import multiprocessing

from fulian_desktop.app import main

if __name__ == "__main__":
    # a packaged program's second process (a big import's helper, store/parallel.py) starts as this program: it
    # goes its own way here; and, started with "spawn", it runs this file again as another module: nothing opens
    multiprocessing.freeze_support()
    raise SystemExit(main())
