#pragma once
// The checks every input file passes before it is opened: it exists, is a regular file (or a
// link to one) and can be read. A device or a FIFO is refused: /dev/zero never ends and a FIFO
// blocks until someone writes to it, so either would hang the command instead of failing it.
#include <string>

namespace wgf {

// Throws InputError "WHAT: no such file" / "is a folder" / "is not a regular file (…)" /
// "cannot be read"; `what` names the option and the path ("--init 'a.h5'").
void check_input_file(const std::string& path, const std::string& what);

}  // namespace wgf
