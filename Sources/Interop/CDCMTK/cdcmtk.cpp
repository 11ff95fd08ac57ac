#include "cdcmtk.h"
