from wpsgraph.cli import main

raise SystemExit(main())
