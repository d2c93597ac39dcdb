extension QRCode {
    /// What the terminal shows behind text, which decides whether glyphs draw the dark or the
    /// light modules.
    public enum TerminalBackground: Sendable, Hashable {
        /// Light text on a dark background (the usual terminal): glyphs draw the LIGHT modules
        /// and the quiet zone, and the terminal's dark background shows through as the dark
        /// modules, so the code appears dark-on-light as scanners expect.
        case dark
        /// Dark text on a light background: glyphs draw the dark modules.
        case light
    }

    /// The QR code as text for a terminal, two module rows per line with the half blocks
    /// `▀` (upper), `▄` (lower), `█` (both) and space (neither), one column per module.
    ///
    /// A terminal paints glyphs in its text colour, so what a glyph means depends on the theme:
    /// with the default ``TerminalBackground/dark`` the glyphs are the light modules (the output
    /// looks inverted when printed, and scans as a normal dark-on-light code on screen); pass
    /// ``TerminalBackground/light`` for a dark-on-light terminal. The quiet zone is part of the
    /// output, so the code scans whatever surrounds it. The half row below the last module row
    /// (the side is always odd) shows the terminal's background.
    ///
    /// - Parameters:
    ///   - border: Quiet zone in modules, in ``allowedBorders``; default 4 (some phones read 2).
    ///     A value out of range is a programming error and traps.
    ///   - background: The terminal's background; default ``TerminalBackground/dark``.
    /// - Returns: `(size + 2 * border + 1) / 2` lines of `size + 2 * border` characters, each
    ///   ending in `\n`.
    public func terminalText(border: Int = 4, background: TerminalBackground = .dark) -> String {
        precondition(Self.allowedBorders.contains(border), "QR border \(border) outside \(Self.allowedBorders)")
        let extent = size + 2 * border
        // Whether the glyph paints the cell at (row, column); false below the image.
        func ink(_ row: Int, _ column: Int) -> Bool {
            guard row < extent else { return false }
            let dark = isDark(row: row, column: column, border: border)
            return background == .dark ? !dark : dark
        }
        var text = ""
        for top in stride(from: 0, to: extent, by: 2) {
            for column in 0..<extent {
                switch (ink(top, column), ink(top + 1, column)) {
                case (true, true): text += "█"
                case (true, false): text += "▀"
                case (false, true): text += "▄"
                case (false, false): text += " "
                }
            }
            text += "\n"
        }
        return text
    }
}
