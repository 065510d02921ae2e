import { EndpointSettingsV1, EndpointStatus } from '@hookline/contracts';
import { typesNotApproved } from '../endpoint/endpoint.decider';
import { matchesPayloadFilter } from './payload-filter';

export interface SubscriptionView {
  deliveryStatus: EndpointStatus;
  settings: Pick<EndpointSettingsV1, 'event_types' | 'channels' | 'filter'>;
  approvedEventTypes?: string[];
}

export interface MessageForMatching {
  event_type: string;
  channels: string[];
  payload: unknown;
}

/**
 * Whether a message is for an endpoint: enabled (so approved), subscribed to the event type (an endpoint of every type
 * gets one needing approval only once approved for it: `typeNeedsApproval` says whether the message's type needs it),
 * sharing a channel when the endpoint names channels, and passing the payload filter.
 */
export function endpointWantsMessage(endpoint: SubscriptionView, message: MessageForMatching, typeNeedsApproval = false): boolean {
  if (endpoint.deliveryStatus !== 'enabled') return false;
  const { event_types, channels, filter } = endpoint.settings;
  if (event_types && !event_types.includes(message.event_type)) return false;
  if (typeNeedsApproval && typesNotApproved(endpoint, [message.event_type]).length > 0) return false;
  if (channels && !channels.some((c) => message.channels.includes(c))) return false;
  if (filter && !matchesPayloadFilter(filter, message.payload)) return false;
  return true;
}
