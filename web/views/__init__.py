"""The PWA's pages. Patient pages read through the selectors (their own data, server-rendered);
physio pages read through the JSON API (which records each read in the access log); writes go
through the JSON API from the page's script, so the offline outbox has one path to the server."""
