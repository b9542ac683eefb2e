/* The terminal: curses set-up, colours or their monochrome stand-ins,
 * resizes. */
#include "griddesk/tui.h"

#include <curses.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

void term_start(struct app *a)
{
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25); /* a lone Esc must not stall the loop for a second */
    curs_set(0);
    const char *no_color = getenv("NO_COLOR");
    a->colour = has_colors() && !(no_color && *no_color);
    if (a->colour) {
        start_color();
        use_default_colors();
        init_pair(PAIR_URGENT, COLOR_RED, -1);
        init_pair(PAIR_OVERDUE, COLOR_WHITE, COLOR_RED);
        init_pair(PAIR_NEW, COLOR_GREEN, -1);
        init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
        init_pair(PAIR_LIVE, COLOR_BLACK, COLOR_GREEN);
        init_pair(PAIR_DOWN, COLOR_WHITE, COLOR_RED);
    }
    getmaxyx(stdscr, a->rows, a->cols);
}

void term_stop(void)
{
    if (!isendwin())
        endwin();
}

/* We own SIGWINCH (libuv's handler replaced curses'), so tell curses the
 * new size ourselves. */
void term_resize(struct app *a)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    getmaxyx(stdscr, a->rows, a->cols);
    clearok(curscr, TRUE);
}

/* Colour when the terminal has it and NO_COLOR is unset; otherwise the
 * monochrome attribute that carries the same meaning. */
int term_attr(const struct app *a, int pair, int mono)
{
    return a->colour ? (int)COLOR_PAIR(pair) : mono;
}
