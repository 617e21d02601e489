"""Partnership conventions ("500 € measure"), their partners' shares and payments."""
