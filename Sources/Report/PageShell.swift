import Foundation

/// A page laid out as a report is — the report's stylesheet and classes, a masthead and a
/// content column — around HTML the caller made: the site's index and run pages, and the
/// preview's own pages (which add their reload script as `trailer`).
public enum PageShell {
    /// The reports' policy: nothing but inline styles and `data:` images.
    public static let reportPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

    /// The whole page. `title`, `kicker`, `heading` and `byline` are text (escaped here);
    /// `body` and `trailer` are HTML.
    public static func html(title: String, kicker: String, heading: String, byline: String? = nil, body: String,
                            css: String, contentSecurityPolicy: String = reportPolicy, trailer: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <title>\(escapeHTML(title))</title>
        <style>\(css)</style>
        </head>
        <body>
        <div class="page">
        <header class="masthead">
        <p class="kicker">\(escapeHTML(kicker))</p>
        <h1 class="title">\(escapeHTML(heading))</h1>
        \(byline.map { "<p class=\"byline\">" + escapeHTML($0) + "</p>" } ?? "")
        </header>
        <main class="content">
        \(body)
        </main>
        </div>
        \(trailer)
        </body>
        </html>

        """
    }
}
