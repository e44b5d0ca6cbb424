# lib/term: a VT100-subset terminal emulator (term.c, freestanding, host
# tested) and its drawing with lib/font (draw.c).
TERM_SRCS := lib/term/term.c lib/term/draw.c
