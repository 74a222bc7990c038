from confluence_sync.cli import main

main()
