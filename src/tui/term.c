/* The terminal: curses set-up, colours or their monochrome stand-ins,
 * resizes, Ctrl-Z, and giving the terminal back on every way out. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"

#include <curses.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

/* a terminfo string capability, or NULL when the terminal has none */
static const char *cap(const char *name)
{
    char *s = tigetstr(name);
    return s == NULL || s == (char *)-1 ? NULL : s;
}

/* The console draws by moving the cursor: a terminal that cannot (dumb, a
 * printing terminal) or that terminfo does not know would get a garbled
 * screen, or ncurses' bare "Error opening terminal". Refuse with what to
 * set instead. */
int term_check(void)
{
    const char *term = getenv("TERM");
    int err = 0;
    if (term == NULL || *term == '\0') {
        fputs(_("griddesk: TERM is not set: set it to your terminal's type, "
                "e.g. TERM=xterm-256color\n"), stderr);
        return -1;
    }
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
        fprintf(stderr, _("griddesk: unknown terminal type TERM=%s (not in the terminfo "
                          "database): try TERM=xterm-256color, or TERM=vt100\n"), term);
        return -1;
    }
    bool addressable = cap("cup") != NULL && !tigetflag("hc") && !tigetflag("gn");
    del_curterm(cur_term); /* initscr reads it again */
    if (!addressable) {
        fprintf(stderr, _("griddesk: TERM=%s cannot move the cursor, which the console "
                          "needs: set TERM to your terminal's type, e.g. "
                          "TERM=xterm-256color, or TERM=vt100\n"), term);
        return -1;
    }
    return 0;
}

/* ---- giving the terminal back from a signal handler ----
 *
 * SIGQUIT (Ctrl-\) and the fatal signals (abort() on out of memory or a
 * failed libuv assertion, a crash) end the process without returning to
 * the loop, and endwin() may not be called from a signal handler. So what
 * endwin would send is kept ready, as terminfo gives it: normal attributes
 * and colours, the cursor shown and on the last line, keypad mode off, the
 * alternate screen left. The handler writes it, puts back the terminal
 * modes of before, then lets the signal take its default course (a core
 * dump if ulimit -c allows). */

static char restore[512];
static size_t restore_len;
static struct termios shell_modes;
static bool have_shell_modes;

static const int fatal_signals[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };

static int collect(int c)
{
    if (restore_len < sizeof restore)
        restore[restore_len++] = (char)c;
    return c;
}

/* tputs handles padding ("$<5>" in vt100's strings) as curses would */
static void add(const char *s)
{
    if (s)
        tputs(s, 1, collect);
}

/* Rebuilt at start and at each resize (the last line moves); the fatal
 * signals are held meanwhile, so a handler never sees half of it. */
static void prepare_restore(int rows)
{
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
        sigaddset(&block, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    restore_len = 0;
    add(cap("sgr0"));
    add(cap("op"));
    add(cap("cnorm"));
    add(cap("rmkx"));
    const char *cup = cap("cup");
    if (cup && rows > 0)
        add(tiparm(cup, rows - 1, 0));
    add(cap("rmcup"));
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* async-signal-safe: write(2), tcsetattr, fcntl and sigaction only */
static void on_fatal(int sig)
{
    ssize_t w = write(STDOUT_FILENO, restore, restore_len);
    (void)w;
    if (have_shell_modes)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &shell_modes);
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) & ~O_NONBLOCK);
    /* SA_RESETHAND made the default action current; the signal is held
     * until this returns, and then takes it */
    raise(sig);
}

/* Only over the default action: a signal someone chose to ignore (nohup)
 * or to handle (a sanitizer's crash report) is left to them. */
static void catch_fatal(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
        struct sigaction old;
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO)
            && old.sa_handler == SIG_DFL)
            sigaction(fatal_signals[i], &sa, NULL);
    }
}

void term_start(struct app *a)
{
    have_shell_modes = tcgetattr(STDIN_FILENO, &shell_modes) == 0;
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
    prepare_restore(a->rows);
    catch_fatal();
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
    prepare_restore(a->rows);
    clearok(curscr, TRUE);
}

/* Back from Ctrl-Z. ncurses' own SIGTSTP handler left curses with endwin
 * and redrew on return, but turns keypad mode on again only at the next
 * read - after the key that is already on its way was sent in the other
 * mode (Esc [ A instead of Esc O A). keypad() sends it at once. The size
 * may have changed while we were stopped. */
void term_resume(struct app *a)
{
    keypad(stdscr, TRUE);
    term_resize(a);
}

/* Colour when the terminal has it and NO_COLOR is unset; otherwise the
 * monochrome attribute that carries the same meaning. */
int term_attr(const struct app *a, int pair, int mono)
{
    return a->colour ? (int)COLOR_PAIR(pair) : mono;
}
