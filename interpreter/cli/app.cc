#include "cli/app.h"

namespace runbook::cli {

int main(int, char**) { return 0; }

}  // namespace runbook::cli
