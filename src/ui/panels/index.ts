// The browser lab's DOM panels: plain DOM, text through textContent only, each with mount / update / destroy.
export { PacketInspector, hopText, type PacketInspectorOptions } from './PacketInspector.ts';
export { HostPanel, HOST_SECTIONS, SECTION_COMMANDS, isPanelSysctl, type HostSection, type HostQuerySource, type HostPanelOptions } from './HostPanel.ts';
export { Console, type ConsoleOptions, type RunCommand } from './Console.ts';
export { NarrationPanel, checkPassed, type NarrationPanelOptions, type NarrationState, type NarrationStepView, type ExerciseView } from './NarrationPanel.ts';
export { headerLayers, type LayerView, type FieldRow } from './headerView.ts';
export { renderMarkup } from './dom.ts';
