"""The procedures, one small module each: its code, its check, and in its docstring the
procedure in plain words. Reason rules decide door requests; alert rules raise alerts."""
