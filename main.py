from fulian_desktop.app import main

raise SystemExit(main())
