"""The corpus of stored reports as the CLI, the API and the web pages see it: search, reviews of
findings, scorecards, the dashboard's figures. Each module is a library function over the store;
the adapters only call them."""
