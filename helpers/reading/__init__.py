"""Reading a charity's file: the first look, the loader, UK formats and column roles."""
