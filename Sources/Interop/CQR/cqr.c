#include "cqr.h"
