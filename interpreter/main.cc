#include "cli/app.h"

int main(int argc, char** argv) {
  return runbook::cli::main(argc, argv);
}
