#include <gd.h>
#include <gdfontl.h>
#include <gdfonts.h>
