package io.argus.app.console.view;

/**
 * The console's keyboard shortcuts, as the help overlay lists them: one list, so that the overlay
 * cannot describe keys the window does not handle (ShortcutKeys handles exactly these).
 */
enum Shortcut {
    FOCUS_TILE("1 – 9", "select tile 1 to 9 on the wall (in layout 1: show it)"),
    OPEN("Enter", "open the selected tile in Detail"),
    CYCLE("Page Down / Page Up", "next / previous stream (layout 1 steps through them)"),
    WALL_MODE("F11 or F", "wall mode: the wall full screen"),
    BACK("Esc", "back: close this help, leave wall mode, or return to the wall"),
    SNAPSHOT("Ctrl+S", "snapshot of the selected tile, with its overlays"),
    ALERTS("Ctrl+A", "the Alerts tab"),
    HELP("? or F1", "this help");

    private final String keys;
    private final String what;

    Shortcut(String keys, String what) {
        this.keys = keys;
        this.what = what;
    }

    String keys() {
        return keys;
    }

    String what() {
        return what;
    }
}
