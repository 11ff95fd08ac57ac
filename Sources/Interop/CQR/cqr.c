// SwiftPM needs one source file per C target; the interfaces are all in cqr.h.
#include "cqr.h"
