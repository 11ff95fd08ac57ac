#include "ccompression.h"
