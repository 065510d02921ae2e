import { ConfigEvent } from './config.events';
import { DeliveryEvent } from './delivery.events';
import { MessageTopicEvent } from './message.events';
import { OperationalEvent } from './operational.events';

export * from './config.events';
export * from './source.events';
export * from './delivery.events';
export * from './message.events';
export * from './operational.events';

/** Every Hookline event body (`{ type, data }`). */
export type HooklineEvent = ConfigEvent | MessageTopicEvent | DeliveryEvent | OperationalEvent;
export type HooklineEventType = HooklineEvent['type'];
