"""Recognition: the weekly content champions (issue 12). Points, badges and competitions come later."""
