#!/usr/bin/env python3
"""Writes bpmn/bedrock-access-request.bpmn with its diagram layout (so Cockpit can draw it).

The model is small enough to keep as data here; edit this file and re-run it rather than editing the XML by hand.
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "bpmn" / "bedrock-access-request.bpmn"

# id -> (kind, name, x, y, attrs, inner)
nodes = {}
flows = []  # (id, source, target, condition, waypoints)


def node(id, kind, name, x, y, w, h, attrs="", inner=""):
    nodes[id] = dict(kind=kind, name=name, x=x, y=y, w=w, h=h, attrs=attrs, inner=inner)


def flow(id, src, tgt, cond=None, points=None):
    flows.append((id, src, tgt, cond, points))


TIMERS = {
    "reminder": "${approvalTimers.reminderAfter}",
    "expiry": "${approvalTimers.expireAfter}",
}

node("StartEvent_RequestSubmitted", "startEvent", "Request submitted", 152, 232, 36, 36)
node("UserTask_ManagerApproval", "userTask", "Manager approval", 240, 210, 120, 80,
     'camunda:candidateUsers="${approvers.managersOf(requestId)}"',
     '<bpmn:extensionElements><camunda:taskListener delegateExpression="${approvalTaskCreatedListener}" event="create" /></bpmn:extensionElements>')
node("Gateway_ManagerDecision", "exclusiveGateway", "Manager approved?", 415, 225, 50, 50)
node("UserTask_SecurityReview", "userTask", "Security review", 520, 210, 120, 80,
     'camunda:candidateGroups="SECURITY"',
     '<bpmn:extensionElements><camunda:taskListener delegateExpression="${approvalTaskCreatedListener}" event="create" /></bpmn:extensionElements>')
node("Gateway_SecurityDecision", "exclusiveGateway", "Security approved?", 695, 225, 50, 50)
node("ServiceTask_NotifyApproved", "serviceTask", "Mark approved, notify requester", 800, 210, 120, 80,
     'camunda:delegateExpression="${notifyApprovedDelegate}"')
# Provisioning: every step asynchronous (its own transaction and job), retried on technical failures, then an
# incident; business failures are BPMN errors caught at the sub-process boundary.
node("ReceiveTask_KeyRevealed", "receiveTask", "Requester reveals the key", 1960, 210, 110, 80,
     'messageRef="Message_KeyRevealed"')
node("EndEvent_AccessProvisioned", "endEvent", "Key revealed", 2122, 232, 36, 36)
node("BoundaryEvent_RevealWindowPassed", "boundaryEvent", "Reveal window passed", 1997, 272, 36, 36,
     'attachedToRef="ReceiveTask_KeyRevealed"',
     '<bpmn:timerEventDefinition id="TimerEventDefinition_RevealWindow"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${provisioningSettings.revealWindow}</bpmn:timeDuration></bpmn:timerEventDefinition>')
node("ServiceTask_RevokeUnrevealedKey", "serviceTask", "Disable the unrevealed key, tell requester", 1960, 390, 110, 80,
     'camunda:delegateExpression="${revokeUnrevealedKeyDelegate}"')
node("EndEvent_KeyDisabledUnrevealed", "endEvent", "Key disabled, not revealed", 2122, 412, 36, 36)
flow("Flow_RevealWindowToRevoke", "BoundaryEvent_RevealWindowPassed", "ServiceTask_RevokeUnrevealedKey", None,
     [(2015, 308), (2015, 390)])
flow("Flow_RevokeToEnd", "ServiceTask_RevokeUnrevealedKey", "EndEvent_KeyDisabledUnrevealed", None,
     [(2070, 430), (2122, 430)])
flow("Flow_RevealedToEnd", "ReceiveTask_KeyRevealed", "EndEvent_AccessProvisioned", None, [(2070, 250), (2122, 250)])
node("BoundaryEvent_ProvisioningFailed", "boundaryEvent", "Provisioning failed", 1402, 312, 36, 36,
     'attachedToRef="SubProcess_Provision"',
     '<bpmn:errorEventDefinition id="ErrorEventDefinition_ProvisioningFailed" errorRef="Error_ProvisioningFailed" />')
node("ServiceTask_NotifyProvisioningFailed", "serviceTask", "Notify requester and security", 1370, 390, 120, 80,
     'camunda:delegateExpression="${notifyProvisioningFailedDelegate}"')
node("EndEvent_ProvisioningFailed", "endEvent", "Provisioning failed", 1542, 412, 36, 36)
flow("Flow_FailedToNotify", "BoundaryEvent_ProvisioningFailed", "ServiceTask_NotifyProvisioningFailed", None,
     [(1420, 348), (1420, 390)])
flow("Flow_FailedNotifiedToEnd", "ServiceTask_NotifyProvisioningFailed", "EndEvent_ProvisioningFailed", None,
     [(1490, 430), (1542, 430)])
node("ServiceTask_NotifyRejected", "serviceTask", "Notify requester of rejection", 660, 60, 120, 80,
     'camunda:delegateExpression="${notifyRejectedDelegate}"')
node("EndEvent_RequestRejected", "endEvent", "Request rejected", 842, 82, 36, 36)

# Timers on both user tasks: a reminder (non-interrupting) and expiry (interrupting).
for stage, task, tx, remind in (("Manager", "UserTask_ManagerApproval", 240, "ServiceTask_RemindManagers"),
                                ("Security", "UserTask_SecurityReview", 520, "ServiceTask_RemindSecurity")):
    node(f"BoundaryEvent_{stage}Reminder", "boundaryEvent", "Reminder due", tx + 22, 272, 36, 36,
         f'cancelActivity="false" attachedToRef="{task}"',
         f'<bpmn:timerEventDefinition id="TimerEventDefinition_{stage}Reminder"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{TIMERS["reminder"]}</bpmn:timeDuration></bpmn:timerEventDefinition>')
    node(f"BoundaryEvent_{stage}Expired", "boundaryEvent", "No decision in time", tx + 72, 272, 36, 36,
         f'attachedToRef="{task}"',
         f'<bpmn:timerEventDefinition id="TimerEventDefinition_{stage}Expired"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{TIMERS["expiry"]}</bpmn:timeDuration></bpmn:timerEventDefinition>')
    node(remind, "serviceTask", f"Remind {'managers' if stage == 'Manager' else 'security'}", tx - 40, 350, 120, 80,
         'camunda:delegateExpression="${remindApproversDelegate}"')
    node(f"EndEvent_{stage}Reminded", "endEvent", "Reminded", tx - 2, 482, 36, 36)
    flow(f"Flow_{stage}ReminderToRemind", f"BoundaryEvent_{stage}Reminder", remind, None,
         [(tx + 40, 308), (tx + 40, 350)])
    flow(f"Flow_{stage}RemindToEnd", remind, f"EndEvent_{stage}Reminded", None, [(tx + 20, 430), (tx + 20, 482)])

node("ServiceTask_ExpireRequest", "serviceTask", "Expire request, notify requester", 800, 350, 120, 80,
     'camunda:delegateExpression="${expireRequestDelegate}"')
node("EndEvent_RequestExpired", "endEvent", "Request expired", 982, 372, 36, 36)
flow("Flow_ManagerExpiredToExpire", "BoundaryEvent_ManagerExpired", "ServiceTask_ExpireRequest", None,
     [(330, 308), (330, 330), (780, 330), (780, 390), (800, 390)])
flow("Flow_SecurityExpiredToExpire", "BoundaryEvent_SecurityExpired", "ServiceTask_ExpireRequest", None,
     [(610, 308), (610, 330), (780, 330)])
flow("Flow_ExpireToEnd", "ServiceTask_ExpireRequest", "EndEvent_RequestExpired", None, [(920, 390), (982, 390)])

flow("Flow_StartToManager", "StartEvent_RequestSubmitted", "UserTask_ManagerApproval", None, [(188, 250), (240, 250)])
flow("Flow_ManagerToGateway", "UserTask_ManagerApproval", "Gateway_ManagerDecision", None, [(360, 250), (415, 250)])
flow("Flow_ManagerApproved", "Gateway_ManagerDecision", "UserTask_SecurityReview", "${managerApproved}",
     [(465, 250), (520, 250)])
flow("Flow_ManagerRejected", "Gateway_ManagerDecision", "ServiceTask_NotifyRejected", "${!managerApproved}",
     [(440, 225), (440, 100), (660, 100)])
flow("Flow_SecurityToGateway", "UserTask_SecurityReview", "Gateway_SecurityDecision", None, [(640, 250), (695, 250)])
flow("Flow_SecurityApproved", "Gateway_SecurityDecision", "ServiceTask_NotifyApproved", "${securityApproved}",
     [(745, 250), (800, 250)])
flow("Flow_SecurityRejected", "Gateway_SecurityDecision", "ServiceTask_NotifyRejected", "${!securityApproved}",
     [(720, 225), (720, 140)])
flow("Flow_ApprovedToProvision", "ServiceTask_NotifyApproved", "SubProcess_Provision", None, [(920, 250), (970, 250)])
flow("Flow_ProvisionedToReveal", "SubProcess_Provision", "ReceiveTask_KeyRevealed", None, [(1910, 250), (1960, 250)])
flow("Flow_RejectedToEnd", "ServiceTask_NotifyRejected", "EndEvent_RequestRejected", None, [(780, 100), (842, 100)])

# Withdrawal: an interrupting event sub-process, valid while the request waits at either task.
sub_nodes = {}
sub_flows = []


def sub(id, kind, name, x, y, w, h, attrs="", inner=""):
    sub_nodes[id] = dict(kind=kind, name=name, x=x, y=y, w=w, h=h, attrs=attrs, inner=inner)


sub("StartEvent_RequestWithdrawn", "startEvent", "Requester withdrew", 232, 612, 36, 36, 'isInterrupting="true"',
    '<bpmn:messageEventDefinition id="MessageEventDefinition_RequestWithdrawn" messageRef="Message_RequestWithdrawn" />')
sub("ServiceTask_RecordWithdrawal", "serviceTask", "Notify people involved", 320, 590, 120, 80,
    'camunda:delegateExpression="${recordWithdrawalDelegate}"')
sub("EndEvent_RequestWithdrawn", "endEvent", "Request withdrawn", 492, 612, 36, 36)
sub_flows.append(("Flow_WithdrawnToRecord", "StartEvent_RequestWithdrawn", "ServiceTask_RecordWithdrawal",
                  [(268, 630), (320, 630)]))
sub_flows.append(("Flow_RecordToEnd", "ServiceTask_RecordWithdrawal", "EndEvent_RequestWithdrawn",
                  [(440, 630), (492, 630)]))


def incoming(id, fl):
    return [f[0] for f in fl if f[2] == id]


def outgoing(id, fl):
    return [f[0] for f in fl if f[1] == id]


def render_node(id, n, fl):
    parts = [f'<bpmn:{n["kind"]} id="{id}" name="{n["name"]}"']
    if n["attrs"]:
        parts.append(" " + n["attrs"])
    parts.append(">")
    # XSD order: extension elements, then incoming/outgoing, then event definitions.
    inner = n["inner"]
    ext = inner if inner.startswith("<bpmn:extensionElements") else ""
    defs = "" if ext else inner
    body = ext
    for f in incoming(id, fl):
        body += f"<bpmn:incoming>{f}</bpmn:incoming>"
    for f in outgoing(id, fl):
        body += f"<bpmn:outgoing>{f}</bpmn:outgoing>"
    body += defs
    return "".join(parts) + body + f'</bpmn:{n["kind"]}>'


def render_flow(f):
    id, src, tgt, cond = f[0], f[1], f[2], f[3] if len(f) > 4 else None
    xml = f'<bpmn:sequenceFlow id="{id}" sourceRef="{src}" targetRef="{tgt}"'
    if cond:
        return xml + f'><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{cond}</bpmn:conditionExpression></bpmn:sequenceFlow>'
    return xml + " />"


def shape(id, n, extra=""):
    return (f'<bpmndi:BPMNShape id="{id}_di" bpmnElement="{id}"{extra}>'
            f'<dc:Bounds x="{n["x"]}" y="{n["y"]}" width="{n["w"]}" height="{n["h"]}" /></bpmndi:BPMNShape>')


def edge(id, points):
    wps = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
    return f'<bpmndi:BPMNEdge id="{id}_di" bpmnElement="{id}">{wps}</bpmndi:BPMNEdge>'


prov_nodes = {}
prov_flows = []
STEPS = [("ServiceTask_EnsureIamUser", "Ensure IAM user with tags", "ensureIamUserDelegate"),
         ("ServiceTask_ApplyPolicy", "Apply least-privilege policy", "applyPolicyDelegate"),
         ("ServiceTask_CreateApiKey", "Create API key and seal it", "createApiKeyDelegate"),
         ("ServiceTask_CreateBudget", "Create or update budget", "createBudgetDelegate"),
         ("ServiceTask_StoreSecret", "Copy key to Secrets Manager (if asked)", "storeSecretDelegate"),
         ("ServiceTask_NotifyKeyReady", "Mark provisioned, notify requester", "notifyKeyReadyDelegate")]
prov_nodes["StartEvent_Provision"] = dict(kind="startEvent", name="", x=992, y=232, w=36, h=36, attrs="", inner="")
x = 1060
previous = "StartEvent_Provision"
for i, (sid, name, bean) in enumerate(STEPS):
    prov_nodes[sid] = dict(kind="serviceTask", name=name, x=x, y=210, w=110, h=80,
                           attrs=f'camunda:asyncBefore="true" camunda:delegateExpression="${{{bean}}}"',
                           inner='<bpmn:extensionElements><camunda:failedJobRetryTimeCycle>${provisioningSettings.retryCycle}</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>')
    prov_flows.append((f"Flow_Provision{i}", previous, sid, None, [(x - 30, 250), (x, 250)]))
    previous = sid
    x += 135
prov_nodes["EndEvent_Provisioned"] = dict(kind="endEvent", name="", x=x - 5, y=232, w=36, h=36, attrs="", inner="")
prov_flows.append(("Flow_ProvisionEnd", previous, "EndEvent_Provisioned", None, [(x - 25, 250), (x - 5, 250)]))

sub_flow_tuples = [(f[0], f[1], f[2], None, f[3]) for f in sub_flows]
process_body = "".join(render_node(i, n, flows) for i, n in nodes.items())
process_body += "".join(render_flow(f) for f in flows)
sub_body = "".join(render_node(i, n, sub_flow_tuples) for i, n in sub_nodes.items())
sub_body += "".join(render_flow(f) for f in sub_flow_tuples)
process_body += f'<bpmn:subProcess id="SubProcess_Withdrawal" name="Withdrawal" triggeredByEvent="true">{sub_body}</bpmn:subProcess>'
prov_body = "".join(render_node(i, n, prov_flows) for i, n in prov_nodes.items())
prov_body += "".join(render_flow(f) for f in prov_flows)
process_body += ('<bpmn:subProcess id="SubProcess_Provision" name="Provision in AWS">'
                 + "".join(f"<bpmn:incoming>{f[0]}</bpmn:incoming>" for f in flows if f[2] == "SubProcess_Provision")
                 + "".join(f"<bpmn:outgoing>{f[0]}</bpmn:outgoing>" for f in flows if f[1] == "SubProcess_Provision")
                 + prov_body + "</bpmn:subProcess>")

shapes = "".join(shape(i, n, ' isMarkerVisible="true"' if n["kind"] == "exclusiveGateway" else "") for i, n in nodes.items())
shapes += '<bpmndi:BPMNShape id="SubProcess_Provision_di" bpmnElement="SubProcess_Provision" isExpanded="true"><dc:Bounds x="970" y="170" width="940" height="160" /></bpmndi:BPMNShape>'
shapes += "".join(shape(i, n) for i, n in prov_nodes.items())
shapes += '<bpmndi:BPMNShape id="SubProcess_Withdrawal_di" bpmnElement="SubProcess_Withdrawal" isExpanded="true"><dc:Bounds x="200" y="560" width="360" height="140" /></bpmndi:BPMNShape>'
shapes += "".join(shape(i, n) for i, n in sub_nodes.items())
edges = "".join(edge(f[0], f[4]) for f in flows)
edges += "".join(edge(f[0], f[3]) for f in sub_flows)
edges += "".join(edge(f[0], f[4]) for f in prov_flows)

xml = f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by tools/generate-access-request-bpmn.py; edit that script, not this file. -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_BedrockAccessRequest" targetNamespace="http://bedrockportal.com/bpmn" exporter="bedrock-access-portal">
<bpmn:message id="Message_RequestWithdrawn" name="RequestWithdrawn" />
<bpmn:message id="Message_KeyRevealed" name="KeyRevealed" />
<bpmn:error id="Error_ProvisioningFailed" name="Provisioning failed" errorCode="PROVISIONING_FAILED" />
<bpmn:process id="bedrock-access-request" name="Bedrock access request" isExecutable="true" camunda:historyTimeToLive="P180D">
{process_body}
</bpmn:process>
<bpmndi:BPMNDiagram id="BPMNDiagram_BedrockAccessRequest"><bpmndi:BPMNPlane id="BPMNPlane_BedrockAccessRequest" bpmnElement="bedrock-access-request">
{shapes}
{edges}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
'''
OUT.write_text(xml.replace("><", ">\n<"))
print("wrote", OUT)
