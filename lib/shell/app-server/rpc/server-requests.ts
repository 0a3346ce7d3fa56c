/** What codex-fp answers to a server→client request: every approval is declined. */
import type {
  ApplyPatchApprovalResponse,
  CommandExecutionRequestApprovalResponse,
  ExecCommandApprovalResponse,
  FileChangeRequestApprovalResponse,
} from "../../../generated/app-server/index.js";

const DECLINED = 'codex-fp answers no approval requests; use approvalPolicy "never"';
const declineCommand: CommandExecutionRequestApprovalResponse = { decision: "decline" };
const declineFileChange: FileChangeRequestApprovalResponse = { decision: "decline" };
const denyLegacy: ApplyPatchApprovalResponse & ExecCommandApprovalResponse = {
  decision: { denied: { rejection: DECLINED } },
};

/** The answer codex-fp gives to a server→client request, or null to answer with an error. */
export const answerTo = (method: string): unknown => {
  switch (method) {
    case "item/commandExecution/requestApproval":
      return declineCommand;
    case "item/fileChange/requestApproval":
      return declineFileChange;
    case "applyPatchApproval":
    case "execCommandApproval":
      return denyLegacy;
    default:
      return null;
  }
};
