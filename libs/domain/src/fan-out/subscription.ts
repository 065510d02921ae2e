import { EndpointSettingsV1, EndpointStatus } from '@hookline/contracts';
import { matchesPayloadFilter } from './payload-filter';

export interface SubscriptionView {
  deliveryStatus: EndpointStatus;
  settings: Pick<EndpointSettingsV1, 'event_types' | 'channels' | 'filter'>;
}

export interface MessageForMatching {
  event_type: string;
  channels: string[];
  payload: unknown;
}

/**
 * Whether a message is for an endpoint: enabled (so approved), subscribed to the event type, sharing a channel
 * when the endpoint names channels, and passing the payload filter.
 */
export function endpointWantsMessage(endpoint: SubscriptionView, message: MessageForMatching): boolean {
  if (endpoint.deliveryStatus !== 'enabled') return false;
  const { event_types, channels, filter } = endpoint.settings;
  if (event_types && !event_types.includes(message.event_type)) return false;
  if (channels && !channels.some((c) => message.channels.includes(c))) return false;
  if (filter && !matchesPayloadFilter(filter, message.payload)) return false;
  return true;
}
