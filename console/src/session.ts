import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './api/client';
import type { MeDto, SignedInDto } from './api/schema';

export const ME = ['me'] as const;
export type Role = MeDto['role'];

/** Who is signed in; null when nobody is (the server answered 401). */
export function useMe() {
  return useQuery({
    queryKey: ME,
    queryFn: async () => {
      try {
        return await api<MeDto>('GET', '/v1/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const queries = useQueryClient();
  return async (email: string, password: string) => {
    await api<SignedInDto>('POST', '/v1/session', { email, password });
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
    await queries.fetchQuery({ queryKey: ME, queryFn: () => api<MeDto>('GET', '/v1/me') });
  };
}

export function useSignOut() {
  const queries = useQueryClient();
  return async () => {
    await api('DELETE', '/v1/session').catch(() => undefined);
    queries.setQueryData(ME, null);
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
  };
}

export const isStaff = (role: Role) => role !== 'customer';
